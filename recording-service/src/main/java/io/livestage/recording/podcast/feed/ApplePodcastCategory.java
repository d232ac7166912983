package io.livestage.recording.podcast.feed;

import java.util.List;

/**
 * Apple Podcasts' categories and their subcategories ({@code <itunes:category text>}, with one nested subcategory at
 * most), as Apple lists them since 2019 (the same list Podcast Index's parser, podcast-partytime, checks against).
 */
public enum ApplePodcastCategory {
    ARTS("Arts", "Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    BUSINESS("Business", "Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    COMEDY("Comedy", "Comedy Interviews", "Improv", "Stand-Up"),
    EDUCATION("Education", "Courses", "How To", "Language Learning", "Self-Improvement"),
    FICTION("Fiction", "Comedy Fiction", "Drama", "Science Fiction"),
    GOVERNMENT("Government"),
    HEALTH_AND_FITNESS("Health & Fitness", "Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition",
            "Sexuality"),
    HISTORY("History"),
    KIDS_AND_FAMILY("Kids & Family", "Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    LEISURE("Leisure", "Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden",
            "Video Games"),
    MUSIC("Music", "Music Commentary", "Music History", "Music Interviews"),
    NEWS("News", "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News",
            "Tech News"),
    RELIGION_AND_SPIRITUALITY("Religion & Spirituality", "Buddhism", "Christianity", "Hinduism", "Islam", "Judaism",
            "Religion", "Spirituality"),
    SCIENCE("Science", "Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences",
            "Nature", "Physics", "Social Sciences"),
    SOCIETY_AND_CULTURE("Society & Culture", "Documentary", "Personal Journals", "Philosophy", "Places & Travel",
            "Relationships"),
    SPORTS("Sports", "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby",
            "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"),
    TECHNOLOGY("Technology"),
    TRUE_CRIME("True Crime"),
    TV_AND_FILM("TV & Film", "After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews");

    private final String text;
    private final List<String> subcategories;

    ApplePodcastCategory(String text, String... subcategories) {
        this.text = text;
        this.subcategories = List.of(subcategories);
    }

    /** Apple's name, e.g. {@code Health & Fitness}. */
    public String text() {
        return text;
    }

    public List<String> subcategories() {
        return subcategories;
    }

    /** The category named {@code text} (Apple's name, any case), or null. */
    public static ApplePodcastCategory parse(String text) {
        for (ApplePodcastCategory category : values()) {
            if (category.text.equalsIgnoreCase(text)) {
                return category;
            }
        }
        return null;
    }

    /** This category's subcategory named {@code text} (any case) in Apple's spelling, or null. */
    public String subcategory(String text) {
        return subcategories.stream().filter(sub -> sub.equalsIgnoreCase(text)).findFirst().orElse(null);
    }
}
