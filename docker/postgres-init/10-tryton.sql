-- The database of the optional Tryton profile (docker compose --profile tryton up). Runs once, on
-- the first start of an empty postgres volume.
CREATE DATABASE tryton OWNER revgate;
