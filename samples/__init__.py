"""Synthetic fax packets with ground truth in the contract's shape."""
