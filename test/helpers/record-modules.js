// Loaded with `node --import` (NODE_OPTIONS): appends the URL of every module the process loads to the file that
// GATEHOUSE_TEST_MODULE_LOG names, so a test can check what a process never loads.
import { register } from 'node:module';

const file = process.env.GATEHOUSE_TEST_MODULE_LOG;
if (file) {
  const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(file)}, url + '\\n');
  return next(url, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
