/** The share API's paths: the client sends to them, and the retry policy names the one POST it may repeat. */
export const SHARE_PATH = "/koodrive/ose/v1/share";
/** `POST` here stops sharing up to 100 shares; a repeat answers "not found" for those already cancelled. */
export const CANCEL_PATH = `${SHARE_PATH}/cancel`;
