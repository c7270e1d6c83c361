# A concept whose scheme is not a skos:ConceptScheme.
# expect: Violation shapes:ConceptShape-scheme sh:ClassConstraintComponent id:concept/stray
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {
    <https://w3id.org/seirei/id/concept/stray> a skos:Concept ;
        skos:prefLabel "stray"@en, "迷子"@ja ;
        skos:inScheme <https://w3id.org/seirei/id/scheme/untyped> .
}
