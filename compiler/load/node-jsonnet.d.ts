// The package ships typings that its `exports` map hides from NodeNext resolution; this declares
// the part mlspec uses.
declare module '@hanazuki/node-jsonnet' {
  export class Jsonnet {
    maxStack(value: number): this;
    maxTrace(value: number): this;
    addJpath(path: string): this;
    evaluateFile(filename: string): Promise<string>;
    evaluateSnippet(snippet: string, filename?: string): Promise<string>;
  }
}
