// Everything the MsaShop container apps share, in the resource group main.bicep creates: the identity
// they run as, the registry they pull from, logs, a private network, the Container Apps environment,
// the Key Vault their secrets come from, and the managed PostgreSQL server with a database per service.
// Redis and RabbitMQ are container apps in the environment (AppHost/infra/cache|messaging.tmpl.yaml).

@description('The location of every resource.')
param location string = resourceGroup().location

@description('Tags applied to every resource.')
param tags object = {}

@description('Id of the user or app running azd: may read the Key Vault secrets it wrote.')
param principalId string = ''

@secure()
param jwtSigningKey string

@secure()
param cachePassword string

@secure()
param messagingPassword string

@secure()
param postgresPassword string

var resourceToken = uniqueString(resourceGroup().id)

// Built-in role definitions.
var acrPullRole = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')

// The one identity every app runs as: it may pull images and read secrets, nothing else.
resource managedIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'mi-${resourceToken}'
  location: location
  tags: tags
}

resource containerRegistry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: replace('acr-${resourceToken}', '-', '')
  location: location
  sku: {
    name: 'Basic'
  }
  properties: {
    // Pulls authenticate with the managed identity; no admin user, no password.
    adminUserEnabled: false
  }
  tags: tags
}

resource acrPullRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(containerRegistry.id, managedIdentity.id, acrPullRole)
  scope: containerRegistry
  properties: {
    principalId: managedIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: acrPullRole
  }
}

resource logAnalyticsWorkspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'law-${resourceToken}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
  tags: tags
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    tags: tags
    name: 'vnet-${resourceToken}'
  }
}

resource containerAppEnvironment 'Microsoft.App/managedEnvironments@2024-10-02-preview' = {
  name: 'cae-${resourceToken}'
  location: location
  properties: {
    workloadProfiles: [
      {
        workloadProfileType: 'Consumption'
        name: 'consumption'
      }
    ]
    // Apps reach PostgreSQL over the private network; only the gateway's ingress is public.
    vnetConfiguration: {
      infrastructureSubnetId: network.outputs.containerAppsSubnetId
      internal: false
    }
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logAnalyticsWorkspace.properties.customerId
        sharedKey: logAnalyticsWorkspace.listKeys().primarySharedKey
      }
    }
  }
  tags: tags

  // Aspire's dashboard as a managed component: traces, metrics and logs of every app in the environment.
  resource aspireDashboard 'dotNetComponents' = {
    name: 'aspire-dashboard'
    properties: {
      componentType: 'AspireDashboard'
    }
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    tags: tags
    name: 'psql-${resourceToken}'
    administratorPassword: postgresPassword
    delegatedSubnetId: network.outputs.postgresSubnetId
    privateDnsZoneId: network.outputs.postgresPrivateDnsZoneId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    tags: tags
    name: 'kv-${resourceToken}'
    readerPrincipalId: managedIdentity.properties.principalId
    operatorPrincipalId: principalId
    // Secret names follow Aspire's convention: connectionstrings--<resource>, and the parameter's name.
    secrets: {
      'jwt-signing-key': jwtSigningKey
      'cache-password': cachePassword
      'messaging-password': messagingPassword
      'connectionstrings--catalogdb': postgres.outputs.connectionStrings.catalogdb
      'connectionstrings--orderingdb': postgres.outputs.connectionStrings.orderingdb
      'connectionstrings--paymentdb': postgres.outputs.connectionStrings.paymentdb
      // The container apps' names are their host names inside the environment (TCP ingress, exposedPort).
      'connectionstrings--cache': 'cache:6379,password=${cachePassword}'
      'connectionstrings--messaging': 'amqp://guest:${uriComponent(messagingPassword)}@messaging:5672'
    }
  }
}

output MANAGED_IDENTITY_CLIENT_ID string = managedIdentity.properties.clientId
output MANAGED_IDENTITY_NAME string = managedIdentity.name
output MANAGED_IDENTITY_PRINCIPAL_ID string = managedIdentity.properties.principalId
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = logAnalyticsWorkspace.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = containerRegistry.properties.loginServer
output AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID string = managedIdentity.id
output AZURE_CONTAINER_REGISTRY_NAME string = containerRegistry.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = containerAppEnvironment.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = containerAppEnvironment.id
output AZURE_CONTAINER_APPS_SUBNET_PREFIX string = network.outputs.containerAppsSubnetPrefix
output AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN string = containerAppEnvironment.properties.defaultDomain
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.endpoint
output AZURE_POSTGRES_SERVER_NAME string = postgres.outputs.serverName
