"""Resources across departments: capacity calendars, the heatmap, lending, the queue."""
