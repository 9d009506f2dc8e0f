/**
 * Annotation templates, a small subset of Prometheus's that renders the same in both places:
 * `{{ $value }}`, `{{ $labels.name }}`, `{{ $threshold }}`, `{{ $rule }}` and `{{ $severity }}`.
 * A template is compiled when its rule loads, so an unknown variable or a label the rule's
 * series cannot carry is rejected then, not discovered in a 3 a.m. notification.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Labels } from "../metrics/snapshot.js";

export interface TemplateContext {
  readonly value: number;
  readonly labels: Labels;
  readonly threshold: number;
  readonly rule: string;
  readonly severity: string;
}

export type CompiledTemplate = ((ctx: TemplateContext) => string) & { readonly labelRefs: readonly string[] };

const ACTION = /\{\{\s*(.*?)\s*\}\}/g;
const LABEL_REF = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/;

/** Renders a sample value the way a person reads it: integers plain, others to 4 significant digits. */
export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/**
 * Compiles `text`. `allowedLabels`, when given, is every label the rule's series can carry;
 * a `$labels.x` outside it throws HR_CONFIG naming `where` and the label.
 */
export function compileTemplate(
  text: string,
  where: string,
  allowedLabels?: ReadonlySet<string>,
): CompiledTemplate {
  if (typeof text !== "string") {
    throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: template must be a string`, {
      data: { text },
    });
  }
  const parts: ((ctx: TemplateContext) => string)[] = [];
  const labelRefs: string[] = [];
  let last = 0;
  for (const m of text.matchAll(ACTION)) {
    const literal = text.slice(last, m.index);
    if (literal) parts.push(() => literal);
    last = (m.index ?? 0) + m[0].length;
    const expr = m[1];
    const label = LABEL_REF.exec(expr);
    if (label) {
      const name = label[1];
      if (allowedLabels && !allowedLabels.has(name)) {
        throw new HeadroomError(
          ErrorCode.Config,
          `[alerts] ${where}: template refers to label "${name}", which the rule's series do not carry`,
          { data: { label: name, template: text } },
        );
      }
      labelRefs.push(name);
      parts.push((ctx) => ctx.labels[name] ?? "");
      continue;
    }
    switch (expr) {
      case "$value":
        parts.push((ctx) => formatValue(ctx.value));
        break;
      case "$threshold":
        parts.push((ctx) => formatValue(ctx.threshold));
        break;
      case "$rule":
        parts.push((ctx) => ctx.rule);
        break;
      case "$severity":
        parts.push((ctx) => ctx.severity);
        break;
      default:
        throw new HeadroomError(
          ErrorCode.Config,
          `[alerts] ${where}: unsupported template expression "{{ ${expr} }}"`,
          {
            data: { expression: expr, template: text },
          },
        );
    }
  }
  const tail = text.slice(last);
  if (tail.includes("{{")) {
    throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: unclosed "{{" in template`, {
      data: { template: text },
    });
  }
  if (tail) parts.push(() => tail);
  const render = (ctx: TemplateContext) => {
    let out = "";
    for (const p of parts) out += p(ctx);
    return out;
  };
  return Object.assign(render, { labelRefs });
}
