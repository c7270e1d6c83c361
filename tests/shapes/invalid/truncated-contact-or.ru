# A truncated contact value that is still typed as a URL.
# expect: Violation shapes:TruncatedContactShape sh:OrConstraintComponent id:contact/kita-1-url
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-url> seirei:isTruncated false }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-url> seirei:isTruncated true }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-url> seirei:isTruncated false }
