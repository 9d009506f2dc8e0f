// Builds the dashboard into web/dist: one content-hashed script (web/src + uPlot) and one
// stylesheet (uPlot's + ours), and index.html pointing at them. Run by `npm run build`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const web = dirname(fileURLToPath(import.meta.url));
// `--out DIR` builds elsewhere (the browser test builds into a temp dir).
const outArg = process.argv.indexOf("--out");
const out = outArg > 0 ? process.argv[outArg + 1] : join(web, "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const uplotCss = readFileSync(join(web, "../node_modules/uplot/dist/uPlot.min.css"), "utf8");
const bundleCss = join(out, ".bundle.css");
writeFileSync(bundleCss, `${uplotCss}\n${readFileSync(join(web, "src/style.css"), "utf8")}`);
try {
  const result = await build({
    entryPoints: { app: join(web, "src/main.ts"), style: bundleCss },
    bundle: true,
    minify: true,
    format: "esm",
    target: ["chrome110", "firefox115", "safari16"],
    entryNames: "[name]-[hash]",
    outdir: out,
    metafile: true,
    logLevel: "warning",
  });
  const files = Object.keys(result.metafile.outputs).map((p) => p.split("/").pop());
  const js = files.find((f) => f.endsWith(".js"));
  const css = files.find((f) => f.endsWith(".css"));
  const html = readFileSync(join(web, "src/index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
  writeFileSync(join(out, "index.html"), html);
  console.log(`${out}: ${js}, ${css}, index.html`);
} finally {
  rmSync(bundleCss, { force: true });
}
