import { redirect } from "next/navigation";

/** The deployment list is the dashboard's only page for now. */
export default function Home() {
  redirect("/deployments");
}
