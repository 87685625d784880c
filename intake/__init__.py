"""Where faxes come in: the drop folder and its watcher, the gateways' webhooks, HylaFAX's
receive hook, and `accept`, the one door they all use."""
