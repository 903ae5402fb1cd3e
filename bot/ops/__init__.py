"""Operating the bot: Prometheus metrics, the health check, and the small HTTP port serving them."""
