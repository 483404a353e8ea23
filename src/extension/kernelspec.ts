/** The kernelspec our notebooks carry; JupyterLab shows `display_name`, VS Code matches `name` to our controller. */
export const KERNELSPEC = { name: 'operando-xrd', display_name: 'Operando XRD (TypeScript)', language: 'typescript' } as const;
