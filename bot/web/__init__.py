"""The project's web server: the classroom widget, the coordinator and recording pages, their APIs."""
