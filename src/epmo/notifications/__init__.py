"""In-app notifications (reminders and alerts) for users."""
