"""Audio for every answer: synthetic speech, human recordings, and the built audio files."""
