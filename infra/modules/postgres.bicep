// Azure Database for PostgreSQL flexible server: the AppHost's "postgres" with one database per service
// (catalogdb, orderingdb, paymentdb), reachable only from the private network, TLS required.

param location string
param tags object
param name string

@secure()
param administratorPassword string

param delegatedSubnetId string
param privateDnsZoneId string

// The AppHost's database resources: each service's connection string names exactly one of them.
var databases = ['catalogdb', 'orderingdb', 'paymentdb']
var administratorLogin = 'msashop'

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: union(tags, { 'aspire-resource-name': 'postgres' })
  // B2s: 429 connections (414 for users; Azure keeps 15), enough for every replica's pool at the apps'
  // maximum scale (docs/deployment.md, the connection budget); B1ms's 50 would not hold two apps' pools.
  sku: {
    name: 'Standard_B2s'
    tier: 'Burstable'
  }
  properties: {
    // The same major version as the AppHost's image and the dev overlay's StatefulSet (docs/deployment.md).
    version: '18'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: 32
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      delegatedSubnetResourceId: delegatedSubnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = [for databaseName in databases: {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}]

output serverName string = server.name

// Npgsql connection strings, the value each service reads as ConnectionStrings__<database>; a secure
// output, kept out of the deployment's history and handed straight to Key Vault by resources.bicep.
@secure()
output connectionStrings object = toObject(databases, databaseName => databaseName, databaseName =>
  'Host=${server.properties.fullyQualifiedDomainName};Port=5432;Username=${administratorLogin};Password=${administratorPassword};Database=${databaseName};SSL Mode=Require')
