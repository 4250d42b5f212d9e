// Connects to the Notifications hub with the official SignalR JavaScript client (a client we did
// not write) over WebSockets, waits for a pushed FeedEntryAdded about one incident, and checks that
// CatchUp returns the same entry. Used by NotificationJavaScriptClientTests.
//
//   HOTLINE_ACCESS_TOKEN=<token> node receive-entry.js <hub url> [incident id]
//
// The token comes from the environment so that it does not show in the process list. Without an
// incident id argument, the first line of standard input is the id: the caller can connect first
// and file the incident afterwards. Prints "connected" once the hub has taken the connection in
// (its groups are joined), then one JSON line with what was received; exits 0. Exits 1 on an
// error or when nothing matching arrives within the timeout, 2 on bad usage.

import readline from "node:readline";
import signalR from "@microsoft/signalr";

const timeoutSeconds = Number(process.env.HOTLINE_TIMEOUT_SECONDS ?? 30);
const [hubUrl, incidentIdArgument] = process.argv.slice(2);
const accessToken = process.env.HOTLINE_ACCESS_TOKEN ?? "";

if (!hubUrl || !(timeoutSeconds > 0)) {
  console.error("usage: HOTLINE_ACCESS_TOKEN=<token> node receive-entry.js <hub url> [incident id]");
  process.exit(2);
}

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

const pushed = [];
let onPush = () => {};
let finished = false;
let stage = "connecting";

const timer = setTimeout(
  () => fail(`timed out after ${timeoutSeconds} s, ${stage}; pushed so far: ${JSON.stringify(pushed)}`),
  timeoutSeconds * 1000);

// The transport is asked for explicitly, so there is no fallback to server-sent events or long
// polling; the client's own log line tells which one it then selected.
let selectedTransport;
const logger = {
  log(level, message) {
    const selection = /^Selecting transport '(\w+)'/.exec(message);
    if (selection) {
      selectedTransport = selection[1];
    }
    if (level >= signalR.LogLevel.Warning) {
      console.error(`signalr: ${message}`);
    }
  },
};

const connection = new signalR.HubConnectionBuilder()
  .withUrl(hubUrl, {
    accessTokenFactory: () => accessToken,
    transport: signalR.HttpTransportType.WebSockets,
  })
  .configureLogging(logger)
  .build();

connection.on("FeedEntryAdded", (entry) => {
  pushed.push(entry);
  onPush();
});
connection.on("LineChecked", () => {});
connection.onclose((error) => {
  if (!finished) {
    fail(`the connection closed: ${error ?? "no error given"}`);
  }
});

async function catchUpFind(incidentId, sequence) {
  let after = 0;
  for (;;) {
    const page = await connection.invoke("CatchUp", after);
    const entry = page.entries.find((e) => e.sequence === sequence && e.incidentId === incidentId);
    if (entry || !page.more || page.entries.length === 0) {
      return entry;
    }
    after = page.entries[page.entries.length - 1].sequence;
  }
}

function firstLineOfStdin() {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: process.stdin });
    lines.once("line", (line) => {
      resolve(line.trim()); // before close(), which emits "close" at once
      lines.close();
    });
    lines.once("close", () => reject(new Error("standard input ended before an incident id")));
  });
}

function pushFor(incidentId) {
  return new Promise((resolve) => {
    onPush = () => {
      const entry = pushed.find((e) => e.incidentId === incidentId);
      if (entry) {
        resolve(entry);
      }
    };
    onPush();
  });
}

try {
  await connection.start();
  if (selectedTransport !== "WebSockets") {
    fail(`connected over ${selectedTransport ?? "an unknown transport"}, not WebSockets`);
  }

  // Hub methods run only after the hub's OnConnectedAsync, so once this answers the connection is
  // in its person's group and no push can be missed.
  await connection.invoke("CatchUp", 0);
  console.log("connected");

  stage = "waiting for the incident id";
  const incidentId = incidentIdArgument ?? (await firstLineOfStdin());
  stage = `waiting for a FeedEntryAdded about incident ${incidentId}`;
  const entry = await pushFor(incidentId);
  stage = "catching up";
  const inCatchUp = await catchUpFind(incidentId, entry.sequence);
  if (!inCatchUp) {
    fail(`CatchUp(0) does not hold the pushed entry ${entry.sequence}`);
  }

  finished = true;
  clearTimeout(timer);
  console.log(JSON.stringify({ transport: selectedTransport, entry, catchUpHasEntry: true }));
  await connection.stop();
  process.exit(0);
} catch (error) {
  fail(error?.message ?? String(error));
}
