"""The EPMO charter: practices, services, authority per department, and its versions."""
