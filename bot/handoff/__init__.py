"""Hand-off to a coordinator: requests, their conversation with a person, bookings and audit."""
