-- One database per service, as the AppHost declares them; each service migrates its own schema.
CREATE DATABASE catalogdb;
CREATE DATABASE orderingdb;
CREATE DATABASE paymentdb;
