package io.livestage.chat.service;

import java.util.Locale;

/** A coarse device type from a User-Agent: desktop, mobile, tablet, tv, bot or unknown. */
public final class DeviceTypes {
    private DeviceTypes() {
    }

    public static String of(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        if (ua.contains("bot") || ua.contains("crawler") || ua.contains("spider") || ua.contains("headless")) {
            return "bot";
        }
        if (ua.contains("smart-tv") || ua.contains("smarttv") || ua.contains("googletv") || ua.contains("appletv")
                || ua.contains("hbbtv") || ua.contains("tizen") || ua.contains("webos") || ua.contains("roku")
                || ua.contains("aftb") || ua.contains("crkey")) {
            return "tv";
        }
        if (ua.contains("ipad") || ua.contains("tablet") || (ua.contains("android") && !ua.contains("mobile"))) {
            return "tablet";
        }
        if (ua.contains("mobi") || ua.contains("iphone") || ua.contains("ipod") || ua.contains("android")) {
            return "mobile";
        }
        if (ua.contains("windows") || ua.contains("macintosh") || ua.contains("x11") || ua.contains("linux")
                || ua.contains("cros")) {
            return "desktop";
        }
        return "unknown";
    }
}
