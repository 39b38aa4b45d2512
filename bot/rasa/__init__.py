"""Our extensions of Rasa: the channel, the tracker store, the training-data importer, training, logs."""
