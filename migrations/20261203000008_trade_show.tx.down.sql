DROP TABLE leads, exhibitor_trades, exhibitors, trade_shows;
