"""The producer suite: the 1177 journal checks a RIVTA journal producer is judged by."""
