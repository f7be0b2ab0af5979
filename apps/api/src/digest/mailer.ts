import nodemailer from "nodemailer";

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

export class SmtpError extends Error {}

/** Sends one mail through SMTP_URL; a refused connection or an SMTP error becomes an SmtpError saying which. */
export async function sendMail(smtpUrl: string, message: MailMessage): Promise<string> {
  const transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as object);
  try {
    const info = await transport.sendMail(message);
    return info.messageId;
  } catch (error) {
    const { code, message: reason } = error as { code?: string; message: string };
    const where = new URL(smtpUrl);
    throw new SmtpError(`cannot send the digest through ${where.protocol}//${where.host}: ${code ? `${code}, ` : ""}${reason}`);
  } finally {
    transport.close();
  }
}
