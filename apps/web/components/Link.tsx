import NextLink from "next/link";
import type { ComponentProps } from "react";

/**
 * next/link without prefetching. Every page here is rendered per request: a prefetch of
 * one brings only the layout the browser already has, and at 10M deployments the dozens a
 * page started (each visible link, twice as its sections streamed in) slowed the page
 * being shown by competing for the server.
 */
export function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
