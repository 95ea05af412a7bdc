// The part of the WebAssembly JavaScript API that mlspec uses. Node provides the API; its types
// live in TypeScript's DOM library, which this Node project does not load.
declare namespace WebAssembly {
  type ImportValue = ((...args: number[]) => number | undefined) | ((...args: number[]) => void) | Memory | Global;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  type Exports = Record<string, unknown>;

  interface ModuleImportDescriptor {
    readonly module: string;
    readonly name: string;
    readonly kind: 'function' | 'table' | 'memory' | 'global';
  }

  interface ModuleExportDescriptor {
    readonly name: string;
    readonly kind: 'function' | 'table' | 'memory' | 'global';
  }

  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
    static imports(module: Module): ModuleImportDescriptor[];
    static exports(module: Module): ModuleExportDescriptor[];
  }

  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }

  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }

  class Global {
    value: unknown;
  }

  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}

  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
