"""The portfolio network: dependencies with a handshake, change events, impact and views."""
