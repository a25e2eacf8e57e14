"""Code the harness's own tests share (never shipped in the product packages)."""
