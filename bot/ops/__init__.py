"""Operating the bot: metrics, the health check and its port, and which worker leads."""
