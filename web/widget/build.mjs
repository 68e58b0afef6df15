// Builds the widget into dist/ (what the bot serves at /widget/): one minified script with
// socket.io-client bundled in, and the stylesheet it loads into its shadow root.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
await build({
  entryPoints: ["src/widget.js"],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["es2019"],
  outfile: "dist/widget.js",
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync("src/widget.css", "dist/widget.css");
