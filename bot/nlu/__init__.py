"""Understanding messages: the NLU components config.yml names, and retrieval over the content."""
