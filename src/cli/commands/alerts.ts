/** `headroom alerts [list|silence|expire]`: firing and pending alerts, and silences, on a running agent. */

import { ErrorCode, HeadroomError } from "../../errors.js";
import type { AlertView, SilenceView } from "../../server/sources.js";
import type { ApiClient } from "../api-client.js";
import type { CliIo } from "../io.js";
import { table } from "../style.js";

export async function runAlertsList(client: ApiClient, io: CliIo, json: boolean): Promise<number> {
  const data = await client.get<{ alerts: AlertView[]; silences: SilenceView[] }>("/api/v1/alerts");
  if (json) {
    io.out(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  }
  const { style } = io;
  const state = (a: AlertView) =>
    a.state === "firing"
      ? style.red(a.state)
      : a.state === "pending"
        ? style.yellow(a.state)
        : style.dim(a.state);
  io.out(
    data.alerts.length === 0
      ? "no alerts\n"
      : `${table(
          ["alert", "state", "severity", "value", "since", "labels"],
          data.alerts.map((a) => [
            a.name,
            state(a) + (a.silenced ? style.dim(" (silenced)") : ""),
            a.severity,
            a.value === undefined ? "-" : String(a.value),
            a.sinceMs ? new Date(a.sinceMs).toISOString() : "-",
            Object.entries(a.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(","),
          ]),
        )}\n`,
  );
  if (data.silences.length > 0) {
    io.out(
      `\n${table(
        ["silence", "matchers", "ends", "comment"],
        data.silences.map((s) => [
          s.id,
          Object.entries(s.matchers)
            .map(([k, v]) => `${k}=${v}`)
            .join(","),
          new Date(s.endsAtMs).toISOString(),
          s.comment,
        ]),
      )}\n`,
    );
  }
  return 0;
}

export function parseMatchers(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of list) {
    const eq = m.indexOf("=");
    if (eq <= 0)
      throw new HeadroomError(ErrorCode.Config, `[cli] --matcher: expected label=value, got "${m}"`);
    out[m.slice(0, eq)] = m.slice(eq + 1);
  }
  return out;
}

export async function runAlertsSilence(
  flags: { matcher: string[]; duration: string; comment?: string },
  client: ApiClient,
  io: CliIo,
): Promise<number> {
  const silence = await client.send<SilenceView>("POST", "/api/v1/silences", {
    matchers: parseMatchers(flags.matcher),
    duration: flags.duration,
    comment: flags.comment ?? "",
    createdBy: io.env.USER ?? "cli",
  });
  io.out(`silence ${silence?.id} until ${silence ? new Date(silence.endsAtMs).toISOString() : "?"}\n`);
  return 0;
}

export async function runAlertsExpire(id: string, client: ApiClient, io: CliIo): Promise<number> {
  await client.send("DELETE", `/api/v1/silences/${encodeURIComponent(id)}`);
  io.out(`silence ${id} expired\n`);
  return 0;
}
