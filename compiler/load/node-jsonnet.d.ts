// The package's own typings are hidden by its `exports` map under NodeNext resolution and
// name two setters wrongly (`maxStack` for the real `setMaxStack`); this declares what mlspec uses.
declare module '@hanazuki/node-jsonnet' {
  export class Jsonnet {
    setMaxStack(value: number): this;
    setMaxTrace(value: number): this;
    addJpath(path: string): this;
    evaluateFile(filename: string): Promise<string>;
    evaluateSnippet(snippet: string, filename?: string): Promise<string>;
  }
}
