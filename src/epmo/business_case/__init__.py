"""The EPMO business case: options with yearly costs and benefits, NPV, payback, ROI and
sensitivity."""
