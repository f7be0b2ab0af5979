/** The flags that say where the API is, for commands that talk to it (DRUMBEAT_URL / DRUMBEAT_TOKEN otherwise). */
export const API_FLAGS = {
  url: { type: "string" },
  token: { type: "string" },
} as const;

export const API_USAGE = "[--url URL] [--token TOKEN]";
