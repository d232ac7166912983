// Validates rendered Kubernetes objects offline, strictly (unknown fields are errors), and prints one line per
// problem ("<kind>/<name>: <where>: <what>"); exit code 1 when there is any, 0 with a summary line otherwise.
//
//   node k8s/validate-schemas.mjs <objects.json> <schemas-dir>
//
// <objects.json>: a JSON array of objects (deploy-check's K8sManifestsTest writes it from `kubectl kustomize`).
// Built-in kinds and KEDA's: the JSON schemas kubernetes-models 5.1.0 and @kubernetes-models/keda 2.0.0 ship
// (compiled validators, run strictly by strict.mjs). Strimzi, CloudNativePG and Barman Cloud kinds: the committed
// minimal schemas in <schemas-dir> (k8s/schemas/*.schema.json). A kind with no schema is an error, never skipped.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strictValidate, checkSchema } from './strict.mjs';

const [objectsFile, schemasDir] = process.argv.slice(2);
if (!objectsFile || !schemasDir) {
  console.error('usage: node k8s/validate-schemas.mjs <objects.json> <schemas-dir>');
  process.exit(2);
}
const objects = JSON.parse(readFileSync(objectsFile, 'utf8'));
const committed = {};
for (const file of readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json'))) {
  for (const [key, schema] of Object.entries(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')))) {
    if (!key.startsWith('$')) committed[key] = { schema, file };
  }
}

const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);
/** The module of the schema kubernetes-models / @kubernetes-models/keda ship for apiVersion + kind, or null. */
function packagedSchema(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  if (group === 'keda.sh') {
    return inPackage('@kubernetes-models/keda', `ComGithubKedacoreKedaV2ApisKeda${capitalize(version)}${kind}`);
  }
  if (group.includes('.') && !group.endsWith('.k8s.io')) return null; // a custom resource of another project
  const name = group.replace(/\.k8s\.io$/, '').split('.').map(capitalize).join('');
  return inPackage('kubernetes-models', `IoK8sApi${name}${capitalize(version)}${kind}`);
}

/** A schema module by file (the keda package does not export its _schemas/ directory). */
function inPackage(pkg, schema) {
  return new URL(`./_schemas/${schema}.js`, import.meta.resolve(pkg)).href;
}

const problems = [];
let validated = 0;
for (const object of objects) {
  const id = `${object?.kind ?? '?'}/${object?.metadata?.name ?? '?'}`;
  if (!object?.apiVersion || !object?.kind) {
    problems.push(`${id}: no apiVersion/kind`);
    continue;
  }
  const key = `${object.apiVersion} ${object.kind}`;
  if (committed[key]) {
    for (const p of checkSchema(committed[key].schema, object)) problems.push(`${id}: ${p} (${committed[key].file})`);
    validated++;
    continue;
  }
  const modulePath = packagedSchema(object.apiVersion, object.kind);
  let validate = null;
  if (modulePath) {
    try {
      ({ validate } = await import(modulePath));
    } catch {
      validate = null;
    }
  }
  if (!validate) {
    problems.push(`${id}: no schema for ${key} (neither kubernetes-models, @kubernetes-models/keda nor ${schemasDir})`);
    continue;
  }
  const { errors, unknown } = strictValidate((data) => {
    if (!validate(data)) {
      const e = new Error('invalid');
      e.errors = validate.errors;
      throw e;
    }
  }, object);
  for (const e of errors) {
    const detail = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
    problems.push(`${id}: ${e.instancePath || '/'}: ${e.keyword ?? ''}${e.message ? ' ' + e.message : ''}${detail}`);
  }
  for (const path of unknown) problems.push(`${id}: ${path}: unknown field (not in the ${key} schema)`);
  validated++;
}

if (problems.length) {
  for (const p of problems) console.log(p);
  console.log(`${problems.length} problem(s) in ${objects.length} object(s)`);
  process.exit(1);
}
console.log(`validated ${validated} object(s) strictly, no problems`);
