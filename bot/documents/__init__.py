"""Files the bot makes: digest tables and charts, calendars, link-code sheets."""
