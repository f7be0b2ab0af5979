"use client";

import { useEffect, useRef, type ReactNode } from "react";

/** A horizontal scroller that opens at its right end: where a table's newest columns are. */
export function ScrolledToEnd({ className, children }: { className?: string; children: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollLeft = element.scrollWidth;
  }, []);
  return <div ref={scroller} className={className} data-testid="scrolled-to-end">{children}</div>;
}
