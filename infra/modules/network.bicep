// The private network: the Container Apps environment's subnet and PostgreSQL's delegated subnet, with
// the private DNS zone that resolves the server's name to its private address. PostgreSQL has no public
// endpoint at all.

param location string
param tags object
param name string

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: ['10.40.0.0/16']
    }
    subnets: [
      {
        // A workload-profiles environment needs a /27 or larger subnet delegated to it.
        name: 'container-apps'
        properties: {
          addressPrefix: '10.40.0.0/23'
          delegations: [
            {
              name: 'container-apps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: '10.40.2.0/24'
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

// A flexible server with private access needs a zone named *.postgres.database.azure.com linked to the network.
resource postgresDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: '${name}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource postgresDnsZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: postgresDnsZone
  name: name
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: virtualNetwork.id
    }
  }
}

output containerAppsSubnetId string = virtualNetwork.properties.subnets[0].id
// The environment's ingress proxy forwards from this range: the gateway believes X-Forwarded-For from it alone.
output containerAppsSubnetPrefix string = virtualNetwork.properties.subnets[0].properties.addressPrefix
output postgresSubnetId string = virtualNetwork.properties.subnets[1].id
// Module outputs exist once the whole module is deployed, so the server is created after the zone's link.
output postgresPrivateDnsZoneId string = postgresDnsZone.id
