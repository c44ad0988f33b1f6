"""Comments on status reports, gate reviews and change events, with mentions that notify."""
