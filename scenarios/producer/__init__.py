"""The producer suite: scenarios the mock NTjP drives against a RIVTA journal producer."""
