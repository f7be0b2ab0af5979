import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages export their TypeScript source.
  transpilePackages: ["@drumbeat/events"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
