/**
 * TypeScript server plugin: gives notebook cells the `xrd` API's types (completions, hover) by adding
 * types/xrd.d.ts to the projects that hold notebook cells, and only to those, so a user's own TypeScript projects
 * never see an `xrd` global. tsserver loads it from <extension>/node_modules/operando-xrd-ts-plugin, which the build
 * writes and scripts/package.mjs puts into the .vsix.
 */
import * as path from 'node:path';

interface LanguageServiceHost {
  getScriptFileNames(): string[];
}
interface PluginCreateInfo {
  languageServiceHost: LanguageServiceHost;
  languageService: unknown;
  project: { getFileNames(): string[] };
}

const DTS = path.join(__dirname, '..', '..', 'types', 'xrd.d.ts');
const isCell = (file: string) => file.includes('vscode-notebook-cell');

function init() {
  return {
    create(info: PluginCreateInfo) {
      const host = info.languageServiceHost;
      const original = host.getScriptFileNames.bind(host);
      // getExternalFiles alone only watches the file; the script list is what makes its globals visible.
      host.getScriptFileNames = () => {
        const names = original();
        return names.some(isCell) && !names.includes(DTS) ? [...names, DTS] : names;
      };
      return info.languageService;
    },
    getExternalFiles(project: { getFileNames(): string[] }) {
      return project.getFileNames().some(isCell) ? [DTS] : [];
    },
  };
}

module.exports = init;
