"""SP suite: the mock 1177 IdP drives these against a vendor's Service Provider."""
