// Validates Kubernetes objects against the JSON schemas shipped by kubernetes-models (Kubernetes
// 1.27), @kubernetes-models/keda, @kubernetes-models/istio, @kubernetes-models/gateway-api and
// @kubernetes-models/external-secrets, without a cluster or a network.
// Input: a JSON array of objects on stdin. Output: {"validated": n, "errors": [{index, kind, name, message}]}.
// An apiVersion/kind with no schema here is an error, never a silent pass.
import { readFileSync } from "node:fs";

function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "") return `kubernetes-models/${version}`;
  if (group === "keda.sh") return `@kubernetes-models/keda/keda.sh/${version}`;
  if (group.endsWith(".istio.io")) return `@kubernetes-models/istio/${group}/${version}`;
  if (group === "gateway.networking.k8s.io") return `@kubernetes-models/gateway-api/${group}/${version}`;
  if (group === "external-secrets.io") return `@kubernetes-models/external-secrets/${group}/${version}`;
  return `kubernetes-models/${group}/${version}`;
}

async function modelOf(apiVersion, kind) {
  try {
    const module = await import(modulePath(apiVersion));
    return module[kind];
  } catch {
    return undefined;
  }
}

const objects = JSON.parse(readFileSync(0, "utf8"));
const errors = [];
let validated = 0;
for (const [index, object] of objects.entries()) {
  const { apiVersion = "", kind = "", metadata = {} } = object;
  const where = { index, kind, name: metadata.name ?? "" };
  const Model = await modelOf(apiVersion, kind);
  if (typeof Model !== "function") {
    errors.push({ ...where, message: `no schema for ${apiVersion}/${kind}` });
    continue;
  }
  try {
    new Model(object).validate();
    validated++;
  } catch (error) {
    errors.push({ ...where, message: error.message });
  }
}
process.stdout.write(JSON.stringify({ validated, errors }));
