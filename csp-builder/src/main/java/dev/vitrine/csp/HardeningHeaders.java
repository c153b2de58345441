package dev.vitrine.csp;

import java.util.List;
import java.util.stream.Collectors;

/** The fixed headers both origins send, each built once. */
final class HardeningHeaders {

  static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

  static final Header NOSNIFF = new Header("X-Content-Type-Options", "nosniff");
  static final Header NO_REFERRER = new Header("Referrer-Policy", "no-referrer");
  static final Header CORP_SAME_ORIGIN = new Header("Cross-Origin-Resource-Policy", "same-origin");
  static final Header CORP_CROSS_ORIGIN = new Header("Cross-Origin-Resource-Policy", "cross-origin");
  static final Header COOP_SAME_ORIGIN = new Header("Cross-Origin-Opener-Policy", "same-origin");
  static final Header NO_STORE = new Header("Cache-Control", "no-store");
  static final Header FRAME_DENY = new Header("X-Frame-Options", "DENY");
  static final Header ANY_ORIGIN = new Header("Access-Control-Allow-Origin", "*");

  /**
   * Every powerful feature Chromium gates by Permissions-Policy. An empty allow-list {@code ()}
   * disables the feature in the document and in every frame it embeds; a feature a browser does
   * not know costs one console warning, a feature missing here stays on.
   */
  static final List<String> DENIED_FEATURES = List.of(
      "accelerometer", "ambient-light-sensor", "attribution-reporting", "autoplay", "battery",
      "bluetooth", "browsing-topics", "camera", "captured-surface-control", "clipboard-read",
      "clipboard-write", "compute-pressure", "display-capture", "encrypted-media", "fullscreen",
      "gamepad", "geolocation", "gyroscope", "hid", "identity-credentials-get", "idle-detection",
      "join-ad-interest-group", "keyboard-map", "local-fonts", "magnetometer", "microphone", "midi",
      "otp-credentials", "payment", "picture-in-picture", "private-aggregation",
      "private-state-token-issuance", "private-state-token-redemption",
      "publickey-credentials-create", "publickey-credentials-get", "run-ad-auction",
      "screen-wake-lock", "serial", "shared-storage", "shared-storage-select-url",
      "storage-access", "usb", "web-share", "window-management", "xr-spatial-tracking");

  static final Header PERMISSIONS_DENY_ALL = new Header("Permissions-Policy",
      DENIED_FEATURES.stream().map(feature -> feature + "=()").collect(Collectors.joining(", ")));

  private HardeningHeaders() {}

  static Header csp(ContentSecurityPolicy policy) {
    return new Header(CONTENT_SECURITY_POLICY, policy.render());
  }
}
