-- One database per service, as the AppHost declares them, each owned by the service's own login role:
-- a service can migrate and use its database and nothing else. DEVELOPMENT-ONLY passwords, the same as
-- the connection strings in ../kustomization.yaml.
CREATE ROLE catalog LOGIN PASSWORD 'dev-only-catalog-db-password';
CREATE ROLE ordering LOGIN PASSWORD 'dev-only-ordering-db-password';
CREATE ROLE payment LOGIN PASSWORD 'dev-only-payment-db-password';
CREATE DATABASE catalogdb OWNER catalog;
CREATE DATABASE orderingdb OWNER ordering;
CREATE DATABASE paymentdb OWNER payment;
REVOKE ALL ON DATABASE catalogdb, orderingdb, paymentdb FROM PUBLIC;
GRANT CONNECT ON DATABASE catalogdb TO catalog;
GRANT CONNECT ON DATABASE orderingdb TO ordering;
GRANT CONNECT ON DATABASE paymentdb TO payment;
