// The Key Vault every secret lives in. Container apps never hold a secret's value: each one references
// its secret by URL and reads it with the apps' managed identity (Key Vault Secrets User, read only).

param location string
param tags object
param name string

@description('The managed identity the container apps run as.')
param readerPrincipalId string

@description('The user or app running azd, allowed to manage the secrets; none when empty.')
param operatorPrincipalId string

@secure()
@description('Secret name to value.')
param secrets object

var secretsUserRole = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
var secretsOfficerRole = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: replace(name, '-', '')
  location: location
  tags: tags
  properties: {
    sku: {
      family: 'A'
      name: 'standard'
    }
    tenantId: subscription().tenantId
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for entry in items(secrets): {
  parent: vault
  name: entry.key
  properties: {
    value: entry.value
  }
}]

resource readerRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, secretsUserRole)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: secretsUserRole
  }
}

resource operatorRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, secretsOfficerRole)
  scope: vault
  properties: {
    principalId: operatorPrincipalId
    roleDefinitionId: secretsOfficerRole
  }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
