/** Scenario files are bundled as text (esbuild's `text` loader for `.yaml`). */
declare module '*.yaml' {
  const text: string;
  export default text;
}
