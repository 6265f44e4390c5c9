// Registered by the resources feature (issue 5).
