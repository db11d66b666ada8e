-- docker-compose only: one database per service, each with its own role (DEVELOPMENT passwords).
CREATE ROLE payledger_command LOGIN PASSWORD 'dev-command';
CREATE ROLE payledger_gateway LOGIN PASSWORD 'dev-gateway';
CREATE ROLE payledger_query LOGIN PASSWORD 'dev-query';
CREATE DATABASE payledger_command OWNER payledger_command;
CREATE DATABASE payledger_gateway OWNER payledger_gateway;
CREATE DATABASE payledger_query OWNER payledger_query;
